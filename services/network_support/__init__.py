"""network_support: support plans, network maps, Signs of Safety, network placement, home return,
parent crisis support, school and health follow-up of placed children."""

SERVICE = "network_support"
