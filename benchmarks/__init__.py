"""Benchmarks at national scale: a generated dataset, six scenarios, a table and a JSON file.

    python -m benchmarks generate --scale national --db /tmp/comites-national.db
    python -m benchmarks run --scale national --db /tmp/comites-national.db --out bench.json
"""
