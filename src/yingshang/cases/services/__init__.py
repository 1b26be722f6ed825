"""Services of the cases app: the only code that changes case state (check_* validates, do_* changes and audits)."""
