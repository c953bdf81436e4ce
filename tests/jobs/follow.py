"""Following a page that starts a job, as a person does: to the job's page, which offers the file, then the file.

The tests' immediate backend has run the job by the time the page answers, so the job's page offers the file at
once; with a worker it would first show its progress."""

import re

from django.urls import resolve


def job_file_response(client, started):
    """The file of the job that the response `started` (a redirect to the job's page) led to."""
    assert started.status_code == 302, started.content.decode()[:500]
    page_url = started["Location"]
    assert resolve(page_url).view_name == "jobs:detail"
    page = client.get(page_url)
    assert page.status_code == 200
    html = page.content.decode()
    link = re.search(r'<a class="nhsuk-button" href="([^"]+)" download>Download ([^<]+)</a>', html)
    assert link is not None, f"the job's page offers no file: {html[:2000]}"
    response = client.get(link.group(1))
    assert response["Content-Disposition"] == f'attachment; filename="{link.group(2)}"'
    return response
