// The parts of ECharts the app draws with, registered once. Imported only through EChart.tsx's dynamic import(), so
// ECharts is a chunk of its own that loads with the first chart, not part of the main bundle.
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkAreaComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

// SVG: crisp at any zoom, text selectable, and light for the few hundred points these charts draw.
echarts.use([BarChart, LineChart, ScatterChart, GridComponent, TooltipComponent, LegendComponent, MarkAreaComponent, VisualMapComponent, SVGRenderer]);

export { echarts };
