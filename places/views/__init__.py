"""The pages of places, one module per concern: home, activities, action_items, plan, visitors,
tips (the public tip form and its moderation), webhooks, notifications, offline (the installable
app), privacy. URLs: places/urls/."""
