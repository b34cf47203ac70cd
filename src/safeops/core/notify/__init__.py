"""Alerts that reach the person: in-app, Web Push, SMS, voice and e-mail, with receipts.

`services.notify_send` queues a notification for one user; a job (`notify.steps`) walks its
channels in order (`NOTIFY_STEPS_P1`…: push, then SMS, then a voice call) until it is
acknowledged or closed. `services.page_call_tree` pages a district's call tree tier by tier.
Apps fill the two registries: `availability.register` (nothing reaches an off-duty person)
and `calltree.register` (who is paged, in which order). Details: docs/notifications.md.
"""
