"""Field reports: what an action did (`report`), and what a committee did over a period."""
