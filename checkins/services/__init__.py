"""Every write of the checkins app, by concern. Import from the module that owns the concern:

- `check_ins`: log, edit and delete check-ins; each supporter's stored due moment; snoozes.
- `schedule`: reminder preferences, pauses, and each person's next digest time (`next_digest_at`).
- `sweep`: beat's sweep, which claims today's digest for everyone due and hands them over in batches.
- `digests`: sending a batch of digests (email, push) exactly as the delivery rules say.
- `actions`: the one-click links in a reminder email, and undo for a few minutes after a quick action.

The layers go one way: actions and digests use check_ins and schedule; sweep uses digests. Nothing
here imports `checkins.tasks`: the sweep is given the function that queues a batch.
"""
