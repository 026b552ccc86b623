"""The API docs: the OpenAPI schema and Swagger UI, from drf-spectacular.

Imported by config/urls.py on the first request for them, not with the URLconf:
drf-spectacular's views load its schema machinery (about 3 MB), which a worker that
only serves the API never needs.
"""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

schema = SpectacularAPIView.as_view()

# The split view serves Swagger UI's set-up script as a file, as the CSP requires.
swagger_ui = SpectacularSwaggerSplitView.as_view(url_name="schema")
