"""Presenters of the report pages: small classes that turn the KPI engine's figures into the headings, rows, words
and charts a page shows, and say which figures are suppressed, so that templates stay dumb.

`dashboard.dashboard_for` builds the dashboard at /reports/ from its sections (`workforce`, `referrals`,
`activity`, `outcomes`) and the eight-quarter `trend`; `compare` gives teams compared, `needs` the needs model;
`period` reads the period a page shows from its stable link. `tables` holds the parts every section is made of,
`values` how one figure reads, `labels` the words for the export's codes.
"""
