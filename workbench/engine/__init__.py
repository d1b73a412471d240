"""The SLA engine: calendars, the business-time clock, replay of the history under a
contract or a scenario, recovery checks, the provider-verdict audit and ticket queries."""
