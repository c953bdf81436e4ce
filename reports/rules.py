import rules

from pairs.rules import Perm, is_manager

# The exact figures: the service's own return. Commissioners get the disclosure-controlled version.
rules.add_perm(Perm.VIEW_EXACT_FIGURES, is_manager)
