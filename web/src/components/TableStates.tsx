import { Skeleton, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** The one row a table shows when it has nothing to list. */
export function EmptyRow({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Td colSpan={colSpan}>
        <Text c="dimmed" ta="center" py="lg" size="sm">
          {children}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

/** Placeholder rows while the first page loads, so the layout does not jump when data arrives. */
export function SkeletonRows({ rows, columns }: { rows: number; columns: number }) {
  return Array.from({ length: rows }, (_, r) => (
    <Table.Tr key={r} aria-hidden="true" data-testid="skeleton-row">
      {Array.from({ length: columns }, (_, c) => (
        <Table.Td key={c}>
          <Skeleton height={12} radius="sm" width={c === 0 ? 18 : `${60 + ((r * 7 + c * 13) % 35)}%`} />
        </Table.Td>
      ))}
    </Table.Tr>
  ));
}
