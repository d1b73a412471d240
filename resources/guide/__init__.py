"""The user guide's pages of the views (HTML fragments); the KPI and warning-sign
entries are made from the workbench's own definitions (workbench.app.guide)."""
