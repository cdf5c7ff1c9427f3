"""/metrics in Prometheus' text format: the bridge's state read at scrape time, and histograms
(ring-to-pop, AGI answers, webhook delivery) fed as things happen. One registry per app: no
process-wide singletons, so two bridges in one test process do not mix their figures."""
