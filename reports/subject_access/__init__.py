"""The subject access export (UK GDPR article 15): everything the service holds about one caregiver, as JSON and as
a PDF, for the team's service manager only, each export an audited access. It lives in data out, above casework and
outcomes, because it reads both."""
