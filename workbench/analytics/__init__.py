"""Figures about a history: KPIs per period, monthly trends, and the comparison of
proposals on one history."""
