"""collaboration: the foster-family pool shared by Uppsala, Västerås and Gävle, matching requests,
shared activities, and the partner topics."""

SERVICE = "collaboration"
