"""A readable API reference, rendered from the same OpenAPI schema as /api/schema/, with no JavaScript."""

from functools import cache

from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@cache
def _operations() -> tuple[dict, list[dict]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                operation = item[method]
                operations.append(
                    {
                        "method": method.upper(),
                        "path": path,
                        "summary": operation.get("summary") or operation.get("description", ""),
                        "parameters": [
                            {
                                "name": p["name"],
                                "where": p["in"],
                                "required": p.get("required", False),
                                "description": p.get("description", ""),
                            }
                            for p in operation.get("parameters", [])
                        ],
                        "responses": sorted(operation.get("responses", {})),
                    }
                )
    return schema["info"], operations


def api_reference(request):
    info, operations = _operations()
    return render(request, "web/api_reference.html", {"info": info, "operations": operations})
