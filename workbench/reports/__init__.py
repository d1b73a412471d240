"""What leaves the workbench: charts (matplotlib, Agg) and the redline PDF."""
