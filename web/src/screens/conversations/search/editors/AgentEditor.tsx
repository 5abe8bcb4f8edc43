// Agent: one agent, picked by name.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { messageAt } from '../filterModel.ts';
import { AgentPicker } from './AgentPicker.tsx';
import { EditorForm, type EditorProps } from './EditorForm.tsx';

export function AgentEditor({ value, valueName, apply, ...form }: EditorProps<string> & { valueName?: string }) {
  const { t } = useTranslation();
  const [agentId, setAgentId] = useState<string | null>(value ?? null);
  return (
    <EditorForm title={t('search.fields.agentId')} onApply={() => apply(agentId ?? undefined)} canApply={!!agentId} shownPaths={['agentId']} {...form}>
      <AgentPicker label={t('search.agent.label')} value={agentId} valueName={valueName} onChange={setAgentId} error={messageAt(form.error, 'agentId')} />
    </EditorForm>
  );
}
