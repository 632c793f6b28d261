"""Kibana saved objects for the articles alias, generated from the config.

`saved_objects(config)` makes the objects (a data view, a saved search per topic, the
visualizations and the dashboard), `to_ndjson` writes them in Kibana's import format, and
`import_objects` sends them to a Kibana's saved-objects import API.
"""

from newswatch.kibana.importer import KibanaError, import_objects
from newswatch.kibana.objects import saved_objects, to_ndjson

__all__ = ["KibanaError", "import_objects", "saved_objects", "to_ndjson"]
