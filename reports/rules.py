import rules

from pairs.rules import Perm, is_manager

# Loading a team's monitoring history writes many records at once: for the service manager.
rules.add_perm(Perm.IMPORT_MONITORING, is_manager)
# The exact figures: the service's own return. Commissioners get the disclosure-controlled version.
rules.add_perm(Perm.VIEW_EXACT_FIGURES, is_manager)
