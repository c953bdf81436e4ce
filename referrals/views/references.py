from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from nhsuk.forms import saved
from pairs.gates import team_permission_required
from pairs.rules import Perm
from pairs.services import team_reference_scheme_update
from referrals.forms.references import ReferenceSchemeForm
from referrals.views.common import form_page


@team_permission_required(Perm.MANAGE_TEAM)
@require_http_methods(["GET", "POST"])
def reference_scheme(request):
    """The service manager sets the case references of the team's new referrals (imports keep their own)."""
    team = request.team
    form = ReferenceSchemeForm(
        request.POST if request.method == "POST" else None,
        initial={"reference_prefix": team.reference_prefix, "reference_pattern": team.reference_pattern},
    )
    if form.is_valid() and saved(
        form,
        lambda: team_reference_scheme_update(
            team=team,
            actor=request.user,
            prefix=form.cleaned_data["reference_prefix"],
            pattern=form.cleaned_data["reference_pattern"],
        ),
    ):
        messages.success(request, "Case references saved: new referrals get the new ones.")
        return redirect("home:index")
    return form_page(
        request,
        form,
        title="Case references of new referrals",
        back_url=reverse("home:index"),
        intro="Referrals already made keep their references, and imported ones keep theirs as given. New numbers "
        "carry on past every reference of the series already in the team.",
    )
