from tests.render.chart_fixtures import chart_repo, registry

__all__ = ["chart_repo", "registry"]
