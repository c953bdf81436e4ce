"""Background work: jobs that run in a worker process, tracked for the person who asked (docs/adr/0004)."""
