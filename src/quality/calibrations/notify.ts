// The e-mail an evaluator gets when added to a calibration session (through the quality notifications, in the
// session's unit of work: sent only if the session is created).
import type { AppContext } from '../../context.ts';
import type { Uow } from '../../platform/db/uow.ts';
import { notifyQuality } from '../notifications.ts';

export function notifyCalibrationAssigned(ctx: AppContext, uow: Uow, n: { tenantId: string; calibrationId: string; toUserIds: string[]; actorName: string }) {
  return notifyQuality(ctx, uow, { event: 'calibration_assigned', ...n });
}
