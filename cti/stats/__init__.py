"""Live queue statistics for supervisors, computed from the AMI queue events (pure, no I/O).

Sources: QueueCallerJoin/Leave/Abandon, AgentCalled, AgentConnect, AgentComplete, QueueMemberStatus/
Added/Removed/Pause, and the QueueParams/QueueMember/QueueEntry list of a QueueStatus sent after
every (re)connect. Today's counters are seeded from the calls stored in the CRM at startup, so
neither a bridge restart nor an Asterisk restart resets them (Asterisk's own counters do reset).

Definitions, per queue, for "today" (local midnight to now); a call is counted once per queue by
its linkedid:
  offered          calls that joined the queue (QueueCallerJoin, or seen waiting in QueueEntry)
  answered         offered calls an agent of the queue took (AgentConnect)
  abandoned        offered calls whose caller hung up while waiting (QueueCallerAbandon followed
                   by the caller channel's Hangup)
  timed out        QueueCallerAbandon followed by a DialBegin of the caller's channel: Queue()
                   timed out and the dialplan went on to a fallback. Asterisk counts these as
                   Abandoned; we do not (they are neither answered nor abandoned here)
  (offered - answered - abandoned - timed out: still waiting, or left the queue otherwise)
  wait             AgentConnect time - QueueCallerJoin time (Asterisk's HoldTime when the join
                   was not seen); for an abandoned call: abandon time - join time
  T                the queue's `servicelevel` (QueueParams ServiceLevel; 20 s until reported)
  SL               = answered with wait <= T / answered
  SL2              = (answered with wait <= T + abandoned with wait <= T) / (answered + abandoned)
  abandon rate     = abandoned / (answered + abandoned)
  ASA              = sum of waits of answered calls / answered       (a plain mean, NOT Asterisk's
                     exponential (3*old + new)/4 "Holdtime")
  AHT              = (sum of TalkTime of completed calls + completed * wrap-up) / completed,
                     completed = answered calls that ended (AgentComplete); wrap-up = the queue's
                     `wrapuptime` (queues.conf), 0 when not set
  Ratios with a zero denominator are null (shown as "—"), never 0 or 100 %.
Live, per queue: callers waiting now; the longest current wait (now - join time of the oldest
waiting caller); agents logged in (member whose device is not unavailable/invalid), available,
on a call, ringing, paused (with reason), in wrap-up (until last call end + wrap-up).

Per agent (by extension, across queues): state (offline, on_call, ringing, paused, wrapup,
available, in that order of precedence), time in state, the current call's linkedid, calls
handled today (AgentComplete), talk seconds today, pause seconds today (from pause events the
bridge saw; not restored after a restart).
"""
