"""The most common passwords of public breach lists (lower case), refused by the password policy.

Short ones are refused by length already; they are kept so the list also serves as the stems
a suffix of digits is stripped down to ("monkey2024" -> "monkey").
"""

from __future__ import annotations

_LISTED = """
123456 123456789 12345678 12345 1234567 1234567890 1234 111111 000000 123123 654321 666666
121212 112233 123321 987654321 0987654321 1111111111 1q2w3e4r 1q2w3e4r5t 1q2w3e 1qaz2wsx
1qaz2wsx3edc zaq12wsx zaq1zaq1 qazwsx qazwsxedc qwerty qwerty123 qwerty1 qwertyuiop qwert
qwertz asdfgh asdfghjkl asdf zxcvbnm zxcvbn abc123 abcd1234 abcdef abcdefg abcdefgh
password passw0rd p@ssw0rd p@ssword pa55word pass password1 password12 password123
passwordpassword mypassword secret secret123 letmein welcome welcome1 admin admin123
administrator root toor changeme default guest login master master123 superuser
iloveyou iloveu princess sunshine shadow monkey dragon football baseball basketball soccer
hockey michael jordan jordan23 charlie superman batman spiderman starwars trustno1
whatever freedom hello hello123 hellokitty computer internet access access14 mustang
ferrari porsche corvette harley thunder ranger buster tigger pepper ginger cookie chocolate
summer winter spring autumn monday friday sunday january december
killer hunter fuckyou fuckoff asshole bigdaddy daddy mommy lovely loveme lover love123
flower angel angel1 jessica ashley amanda jennifer nicole daniel andrew joshua matthew
anthony robert thomas george william charles michelle samantha maggie buddy snoopy
pokemon naruto minecraft fortnite google facebook linkedin yahoo microsoft apple samsung
qwerty12345 qwerty123456 123qwe 123abc a123456 aa123456 aa12345678 abc12345 zaq123
q1w2e3r4 q1w2e3r4t5 1a2b3c4d 7777777 88888888 99999999 11111111 00000000 12341234
112233445566 123456123456 147258369 159753 159357 741852963 789456123 456789 147852
test test123 testing tester demo demo123 sample temp temp123 user user123 service
"""
COMMON_PASSWORDS = frozenset(_LISTED.split())
