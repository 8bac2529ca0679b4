"""The Redis broker transport, with one fix: a broker outage must not stop the worker.

With Celery 5.7 / kombu 5.7, when Redis goes away while a task runs, the worker collects its
broken connection and then closes it; closing the channel tries to put the running task's
message back ("Restoring 1 unacknowledged message(s)"), but the connection it needs is already
gone, and kombu raises `AttributeError: 'NoneType' object has no attribute 'hostname'` from
`Channel._connparams`. Celery treats that as unrecoverable and the worker exits (we saw it in
2 of 3 runs with two pool processes). The close-after-collect came with celery/celery#10242
(the fix for celery/celery#9705, first released in 5.7.0); 5.6.3 and earlier do not close there.

When the task then finishes, acknowledging it on that closed channel fails the same way. Neither
can work while the connection is gone, and neither is needed: the message stays in kombu's
"unacked" index and any worker puts it back after the visibility timeout (the task is idempotent;
our sweepers enqueue lost reports and mails sooner). So here a channel without a connection
raises a *connection* error, which kombu and Celery already handle (they log it and reconnect),
and the restore logs what it could not do. Remove this module (and CELERY_BROKER_TRANSPORT) once
Celery no longer closes a collected connection.
"""

import logging

import redis as redis_client
from kombu.transport import redis

logger = logging.getLogger(__name__)


class QoS(redis.QoS):
    def restore_unacked(self, client=None):
        try:
            return super().restore_unacked(client)
        except (AttributeError, redis_client.ConnectionError, OSError) as error:
            logger.warning(
                "Could not put %d unacknowledged message(s) back now (%r); they return to "
                "the queue after the visibility timeout",
                len(self._delivered),
                error,
            )
            self._delivered.clear()
            return None


class Channel(redis.Channel):
    QoS = QoS

    def _connparams(self, asynchronous=False):
        # A channel whose connection was collected has no client to build a pool from: say so
        # as the connection error it is (kombu and Celery handle those – "Couldn't ack …"),
        # not as an AttributeError that stops the worker.
        if self.connection is None or self.connection.client is None:
            raise redis_client.ConnectionError("The broker connection was closed.")
        return super()._connparams(asynchronous=asynchronous)


class Transport(redis.Transport):
    Channel = Channel
