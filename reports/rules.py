import rules

from pairs.rules import is_manager

# Loading a team's monitoring history writes many records at once: for the service manager.
rules.add_perm("reports.import_monitoring", is_manager)
# The exact figures: the service's own return. Commissioners get the disclosure-controlled version.
rules.add_perm("reports.view_exact_figures", is_manager)
