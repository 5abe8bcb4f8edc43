import { Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AuditChange } from '../../../api/types.ts';
import { formatValue } from '../../../format.ts';

/** old → new for each changed field of an audit event. */
export function ChangesTable({ changes }: { changes: AuditChange[] }) {
  const { t } = useTranslation();
  return (
    <Table withTableBorder withColumnBorders bg="white" fz="sm" highlightOnHover={false}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w="25%">{t('audit.changes.field')}</Table.Th>
          <Table.Th>{t('audit.changes.old')}</Table.Th>
          <Table.Th>{t('audit.changes.new')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {changes.map((c) => (
          <Table.Tr key={c.field}>
            <Table.Td ff="monospace">{c.field}</Table.Td>
            <Table.Td>
              {c.old === null || c.old === undefined ? (
                <Text size="sm" c="dimmed">
                  —
                </Text>
              ) : (
                <Text size="sm" c="red.8" td="line-through" style={{ wordBreak: 'break-all' }}>
                  {formatValue(c.old)}
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Text size="sm" c="green.8" style={{ wordBreak: 'break-all' }}>
                {formatValue(c.new)}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
