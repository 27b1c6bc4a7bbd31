"""The evaluation suite: data sets, the queries derived from them, the systems compared, metrics."""
