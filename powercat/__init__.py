"""powercat: administrative-power lists (权力清单) and their flowcharts."""

__version__ = "0.1.0"
