// /quality/evaluations/:id — where e-mails about an evaluation lead: the evaluation opens beside its conversation.
import { Skeleton } from '@mantine/core';
import { Navigate, useParams } from 'react-router-dom';
import { useEvaluation } from '../../../api/evaluations.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { evaluationPath } from './links.ts';

export function EvaluationLinkPage() {
  const { id = '' } = useParams();
  const e = useEvaluation(id);
  if (e.data) return <Navigate to={evaluationPath(e.data)} replace />;
  return e.error ? <ErrorAlert error={e.error} /> : <Skeleton h={120} radius="md" />;
}
