"""Forms of the casework pages, rendered with the project's crispy `nhsuk` pack. The modules follow the sub-domains;
every public name is here as well."""

from referrals.forms.appointments import (
    AppointmentCancelForm,
    AppointmentEditForm,
    AppointmentForm,
    AppointmentOutcomeForm,
    AppointmentRescheduleForm,
)
from referrals.forms.groups import (
    GroupPlaceOfferForm,
    GroupPlaceResponseForm,
    GroupProgrammeForm,
    GroupSessionEditForm,
    GroupSessionForm,
)
from referrals.forms.interventions import InterventionEpisodeEndForm, InterventionEpisodeForm
from referrals.forms.moves import (
    AcceptForm,
    InterventionStartForm,
    MoveForm,
    ReasonMoveForm,
    ReopenForm,
)
from referrals.forms.referral import (
    CaregiverAddForm,
    CaregiverEditForm,
    CaregiverFormSet,
    DuplicateConfirmForm,
    InfantAddForm,
    InfantEditForm,
    InfantFormSet,
    LevelsForm,
    ReferralDetailsForm,
    ReferralForm,
)

__all__ = [
    "AcceptForm",
    "AppointmentCancelForm",
    "AppointmentEditForm",
    "AppointmentForm",
    "AppointmentOutcomeForm",
    "AppointmentRescheduleForm",
    "CaregiverAddForm",
    "CaregiverEditForm",
    "CaregiverFormSet",
    "DuplicateConfirmForm",
    "GroupPlaceOfferForm",
    "GroupPlaceResponseForm",
    "GroupProgrammeForm",
    "GroupSessionEditForm",
    "GroupSessionForm",
    "InfantAddForm",
    "InfantEditForm",
    "InfantFormSet",
    "InterventionEpisodeEndForm",
    "InterventionEpisodeForm",
    "InterventionStartForm",
    "LevelsForm",
    "MoveForm",
    "ReasonMoveForm",
    "ReferralDetailsForm",
    "ReferralForm",
    "ReopenForm",
]
