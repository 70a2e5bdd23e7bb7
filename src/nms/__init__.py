"""НМС — platform of the regional system of scientific-methodological support."""
