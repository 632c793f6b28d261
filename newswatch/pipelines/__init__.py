"""Item pipelines, one module per stage: validate -> dates -> store."""
