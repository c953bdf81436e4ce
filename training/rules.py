"""Who may do what with workforce activity, checked against the team worked in (`request.team`).

Commissioners have none of these: they see workforce figures only as aggregates in reports, never the records,
whose consultation notes and feedback text may identify a family.
"""

import rules

from pairs.rules import Perm, is_clinical, is_manager

# Record training, consultations, awareness events, universal offer contacts and feedback, and list them.
rules.add_perm(Perm.RECORD_ACTIVITY, is_clinical)
# Enter a term's worth of training sessions at once in the quick-entry table.
rules.add_perm(Perm.RECORD_SESSIONS_IN_BULK, is_manager)
# Delete a record entered in error.
rules.add_perm(Perm.DELETE_ACTIVITY, is_manager)
