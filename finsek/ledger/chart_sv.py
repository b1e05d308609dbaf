"""The Swedish congregation's chart: Swedish names, BAS numbers, Swedish funds and thresholds in kronor.

``finsek init --locale sv_SE`` writes it. Account names are Swedish under
Beancount's roots (``Income:Gåvor:Kollekter``), each with its number of the
BAS account plan for ideella föreningar and trossamfund as ``bas:`` (SIE
export reads it); ``custom "finsek" "account-<role>"`` lines tell finsek
which account plays which role (``finsek.ledger.roles``). Funds are the
congregation's ändamål: allmänna medel and ändamålsbestämda insamlingar.
"""

#: (account, BAS number, role or "") in the order written.
ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("Assets:Bank:Företagskonto", "1930", "deposit"),
    ("Assets:Bank:Sparkonto", "1940", "savings"),
    ("Assets:Kassa:Handkassa", "1910", "petty-cash"),
    ("Assets:Kassa:Kollekter", "1911", "undeposited"),
    ("Liabilities:Leverantörsskulder", "2440", "payable"),
    ("Liabilities:Personalens-källskatt", "2710", ""),
    ("Liabilities:Arbetsgivaravgifter", "2731", ""),
    ("Equity:Eget-kapital:Ingående", "2061", "opening"),
    ("Equity:Överföringar-mellan-ändamål", "2065", "transfers"),
    ("Income:Gåvor:Kollekter", "3010", "gifts"),
    ("Income:Gåvor:Ändamålsbestämda", "3020", "designated-gifts"),
    ("Income:Gåvor:Insamlingar", "3030", ""),
    ("Income:Medlemsavgifter", "3050", ""),
    ("Income:Bidrag", "3985", ""),
    ("Income:Uthyrning", "3910", ""),
    ("Income:Ränteintäkter", "8310", ""),
    ("Expenses:Personal:Löner", "7210", ""),
    ("Expenses:Personal:Arbetsgivaravgifter", "7510", ""),
    ("Expenses:Personal:Övrigt", "7690", ""),
    ("Expenses:Lokal:Hyra", "5010", ""),
    ("Expenses:Lokal:El-och-värme", "5020", ""),
    ("Expenses:Lokal:Underhåll", "5070", ""),
    ("Expenses:Lokal:Försäkringar", "6310", ""),
    ("Expenses:Verksamhet:Gudstjänster", "6991", ""),
    ("Expenses:Verksamhet:Undervisning", "6992", ""),
    ("Expenses:Verksamhet:Barn-och-ungdom", "6993", ""),
    ("Expenses:Mission:Samfundsavgift", "6981", ""),
    ("Expenses:Mission:Lokalt", "6994", ""),
    ("Expenses:Diakoni", "6995", ""),
    ("Expenses:Administration:Kontorsmaterial", "6110", ""),
    ("Expenses:Administration:Bankkostnader", "6570", "bank-fees"),
)

#: The group roles (accounts above others) a Swedish ledger names.
GROUPS = (("bank", "Assets:Bank"), ("giving", "Income:Gåvor"))

FUNDS = (
    ("allmanna", "Allmänna medel", "unrestricted"),
    ("bygg", "Byggfonden", "restricted"),
    ("mission", "Missionsinsamlingen", "restricted"),
    ("diakoni", "Diakonifonden", "restricted"),
)
DEFAULT_FUND = "allmanna"

#: Thresholds in kronor: approval, receipt, large cash gift (the English chart's are in dollars).
SETTINGS = (
    ("approval-threshold", "5000.00 SEK"),
    ("receipt-threshold", "500.00 SEK"),
    ("cash-gift-threshold", "10000.00 SEK"),
)

#: A yearly budget in kronor for a congregation of about 150 members (income as positive numbers).
SAMPLE_BUDGET = (
    ("Income:Gåvor:Kollekter", "1200000"),
    ("Expenses:Personal:Löner", "600000"),
    ("Expenses:Personal:Arbetsgivaravgifter", "188520"),
    ("Expenses:Lokal:El-och-värme", "60000"),
    ("Expenses:Lokal:Underhåll", "50000"),
    ("Expenses:Lokal:Försäkringar", "24000"),
    ("Expenses:Verksamhet:Gudstjänster", "30000"),
    ("Expenses:Verksamhet:Undervisning", "20000"),
    ("Expenses:Verksamhet:Barn-och-ungdom", "40000"),
    ("Expenses:Mission:Samfundsavgift", "120000"),
    ("Expenses:Mission:Lokalt", "20000"),
    ("Expenses:Diakoni", "30000"),
    ("Expenses:Administration:Kontorsmaterial", "15000"),
    ("Expenses:Administration:Bankkostnader", "4000"),
)
