// The mark of a transfer or a consultation, shared by the player's waveform and the segment timeline.
import { Box } from '@mantine/core';

/**
 * A transfer is a solid violet line with a flag at the top; a consultation a dashed cyan line with a diamond, so the
 * two read apart without their colours.
 */
export function MarkGlyph({ type, height = '100%' }: { type: 'transfer' | 'consult'; height?: number | string }) {
  const color = type === 'transfer' ? MARK_COLORS.transfer : MARK_COLORS.consult;
  return (
    <Box pos="relative" w={8} h={height} style={{ pointerEvents: 'none' }}>
      <Box
        pos="absolute"
        top={0}
        bottom={0}
        left={3}
        w={2}
        style={type === 'transfer' ? { background: color } : { backgroundImage: `repeating-linear-gradient(${color} 0 3px, transparent 3px 5px)` }}
      />
      {type === 'transfer' ? (
        <Box
          pos="absolute"
          top={0}
          left={4}
          style={{ width: 0, height: 0, borderTop: `4px solid transparent`, borderBottom: '4px solid transparent', borderLeft: `6px solid ${color}` }}
        />
      ) : (
        <Box pos="absolute" top={0} left={1} w={6} h={6} style={{ background: color, transform: 'rotate(45deg)' }} />
      )}
    </Box>
  );
}

export const MARK_COLORS = { transfer: '#7048e8', consult: '#1098ad' } as const;
