import rules

from pairs.rules import Perm, is_manager

# Loading a team's monitoring history writes many records at once: for the service manager.
rules.add_perm(Perm.IMPORT_MONITORING, is_manager)
