"""Item pipelines, one module per stage: validate -> dates -> statements -> store."""
