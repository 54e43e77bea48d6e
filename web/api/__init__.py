"""The JSON API (``/api/v1/``): the agent's phone pages as endpoints, for the phone's offline queue and
for integrations. README, "The JSON API", states the contract; ``web.api.endpoints`` the rules."""
