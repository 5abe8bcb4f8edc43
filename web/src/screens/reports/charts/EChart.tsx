// One ECharts chart in a box: ECharts loads on first use (a chunk of its own), follows the box's width, and hands
// clicks on data points back as (seriesIndex, dataIndex). Charts also render their data as text elsewhere on each
// screen (tables, lists), so nothing depends on the canvas for reading.
import { Box, Skeleton } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import type * as EChartsModule from './echarts.ts';

type ECharts = (typeof EChartsModule)['echarts'];
let loading: Promise<ECharts> | null = null;
export const loadECharts = () => (loading ??= import('./echarts.ts').then((m) => m.echarts));

export interface EChartProps {
  option: EChartsCoreOption;
  height: number;
  onPointClick?: (seriesIndex: number, dataIndex: number) => void;
  label: string;
  testId?: string;
}

export function EChart({ option, height, onPointClick, label, testId }: EChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<ReturnType<ECharts['init']> | null>(null);
  const clickRef = useRef(onPointClick);
  clickRef.current = onPointClick;
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | null = null;
    loadECharts()
      .then((ec) => {
        if (disposed || !ref.current) return;
        const chart = ec.init(ref.current, undefined, { renderer: 'svg' });
        chartRef.current = chart;
        chart.on('click', (p: { seriesIndex?: number; dataIndex?: number }) => {
          if (p.seriesIndex !== undefined && p.dataIndex !== undefined) clickRef.current?.(p.seriesIndex, p.dataIndex);
        });
        if (typeof ResizeObserver !== 'undefined') {
          observer = new ResizeObserver(() => chart.resize());
          observer.observe(ref.current);
        }
        setReady(true);
      })
      .catch(() => !disposed && setFailed(true));
    return () => {
      disposed = true;
      observer?.disconnect();
      chartRef.current?.dispose();
      chartRef.current = null;
    };
  }, []);

  useEffect(() => {
    if (ready) chartRef.current?.setOption(option, { notMerge: true });
  }, [ready, option]);

  return (
    <Box pos="relative" h={height} role="img" aria-label={label} data-testid={testId} data-ready={ready ? '' : undefined}>
      <div ref={ref} style={{ position: 'absolute', inset: 0 }} />
      {!ready && !failed && <Skeleton pos="absolute" inset={0} radius="sm" />}
    </Box>
  );
}
