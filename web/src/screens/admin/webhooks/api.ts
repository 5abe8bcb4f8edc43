// Administration → Webhooks: the endpoints, their delivery log and the actions on them (src/notify/webhooks).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type * as S from '../../../../../src/notify/webhooks/schemas.ts';
import { api } from '../../../api/client.ts';

export type WebhookEndpoint = Static<typeof S.Endpoint>;
export type WebhookEndpointWithSecret = Static<typeof S.EndpointWithSecret>;
export type WebhookEndpointList = Static<typeof S.EndpointList>;
export type WebhookInput = Static<typeof S.EndpointCreate>;
export type WebhookDelivery = Static<typeof S.Delivery>;
export type WebhookDeliveryDetail = Static<typeof S.DeliveryDetail>;
export type WebhookDeliveryList = Static<typeof S.DeliveryList>;

const enc = encodeURIComponent;
export const webhookKeys = {
  all: ['webhooks'] as const,
  deliveries: (id: string) => ['webhooks', id, 'deliveries'] as const,
  delivery: (id: string, deliveryId: string) => ['webhooks', id, 'deliveries', deliveryId] as const,
};

export function useWebhooks() {
  return useQuery({ queryKey: webhookKeys.all, queryFn: () => api.get<WebhookEndpointList>('/api/webhooks'), refetchInterval: 30_000 });
}

export function useSaveWebhook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id?: string; input: Partial<WebhookInput> }) =>
      v.id ? api.patch<WebhookEndpoint>(`/api/webhooks/${enc(v.id)}`, v.input) : api.post<WebhookEndpointWithSecret>('/api/webhooks', v.input),
    onSettled: () => void qc.invalidateQueries({ queryKey: webhookKeys.all }),
  });
}

export function useDeleteWebhook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.del(`/api/webhooks/${enc(id)}`),
    onSettled: () => void qc.invalidateQueries({ queryKey: webhookKeys.all }),
  });
}

export function useRotateWebhookSecret() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; expirePrevious: boolean }) =>
      api.post<WebhookEndpointWithSecret>(`/api/webhooks/${enc(v.id)}/rotate-secret`, { expirePrevious: v.expirePrevious }),
    onSettled: () => void qc.invalidateQueries({ queryKey: webhookKeys.all }),
  });
}

export function useTestWebhook() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<{ deliveryId: string }>(`/api/webhooks/${enc(id)}/test`, {}),
    onSettled: (_d, _e, id) => void qc.invalidateQueries({ queryKey: webhookKeys.deliveries(id) }),
  });
}

export function useWebhookDeliveries(id: string | null, status: string | null) {
  return useQuery({
    queryKey: [...webhookKeys.deliveries(id ?? ''), status],
    queryFn: () => api.get<WebhookDeliveryList>(`/api/webhooks/${enc(id!)}/deliveries?limit=50${status ? `&status=${enc(status)}` : ''}`),
    enabled: !!id,
    refetchInterval: 10_000,
  });
}

export function useWebhookDelivery(id: string, deliveryId: string | null) {
  return useQuery({
    queryKey: webhookKeys.delivery(id, deliveryId ?? ''),
    queryFn: () => api.get<WebhookDeliveryDetail>(`/api/webhooks/${enc(id)}/deliveries/${enc(deliveryId!)}`),
    enabled: !!deliveryId,
  });
}

export function useRedeliver() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; deliveryId: string }) =>
      api.post<{ deliveryId: string }>(`/api/webhooks/${enc(v.id)}/deliveries/${enc(v.deliveryId)}/redeliver`, {}),
    onSettled: (_d, _e, v) => void qc.invalidateQueries({ queryKey: webhookKeys.deliveries(v.id) }),
  });
}
