"""Item pipelines, one module per stage:
validate -> dates -> statements -> dedupe (stories) -> alerts -> store."""
