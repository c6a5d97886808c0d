import type { Api } from 'grammy';
import { createBroadcastPorts } from '../bot/broadcast-port.ts';
import { createUserNotifier } from '../bot/notify-user.ts';
import type { AdminPorts } from '../modules/admin/ports.ts';
import type { Users } from '../modules/users/service.ts';

/**
 * The admin module's ports over the bot: telling users things and refunding Stars through the
 * bot's own Api (auto-retry); broadcasts through `broadcastApi`, which must not retry 429s
 * itself (the broadcast waits them out and paces its sends).
 */
export function adminPorts({ api, broadcastApi, users }: { api: Api; broadcastApi: Api; users: Users }): AdminPorts {
  return {
    notify: createUserNotifier({ api, users }),
    refundStars: (userId, chargeId) => api.refundStarPayment(userId, chargeId),
    broadcast: createBroadcastPorts({ api: broadcastApi, users }),
  };
}
