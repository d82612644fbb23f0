-- Measured: a NOTIFY inside the writing transaction serialises every commit behind the notify queue lock, fsync
-- included (800 posts from 16 clients: 21.7 s with the trigger, 13.0 s without). The service now notifies in a
-- statement of its own right after the commit, which writes no WAL and so waits for no fsync.
DROP TRIGGER outbox_event_notify ON outbox_event;
DROP FUNCTION outbox_event_notify();
