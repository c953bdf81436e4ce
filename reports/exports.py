"""The KPI figures as downloads: the same export for the browser's download and the `kpi_report` command."""


def flatten(tree, prefix: str = ""):
    """(dotted.key, value) rows for CSV; the KPI list is keyed by each KPI's id."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from flatten(value, f"{prefix}{key}.")
    elif isinstance(tree, list):
        for entry in tree:
            name = entry.get("id", "") if isinstance(entry, dict) else ""
            yield from flatten({k: v for k, v in entry.items() if k != "id"}, f"{prefix}{name}.")
    else:
        yield prefix.removesuffix("."), "" if tree is None else tree
