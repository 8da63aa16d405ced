"""The help-centre documents and questions of the rag-retrieval lab (a fictional shop; our own text).

Kept beside checks.py and read by it; the learner's folder gets the documents (with the site's boilerplate) and the
development questions. The held-out questions stay here: the grader asks them of the learner's retriever.
"""
from __future__ import annotations

HEADER = "Home | Shop | Help centre | Stores | Contact us"
FOOTER = ["Was this page helpful? Yes / No",
          "© 2026 Lakeside Outfitters Ltd. All rights reserved. Prices include VAT where applicable."]

#: number -> (slug, title, paragraphs)
DOCS: dict[int, tuple[str, str, list[str]]] = {
    1: ("returns", "Returning an item", [
        "You can return most items within 30 days of delivery for any reason. Items must be unworn and unwashed, "
        "with the original tags still attached. Footwear must be tried on indoors only and sent back in its "
        "original shoe box, placed inside a shipping carton rather than taped directly.",
        "To start a return, sign in, open your order history, choose the items and print the prepaid return "
        "label. Drop the parcel at any post office or parcel locker. Returns are free within the country; a "
        "handling fee of 4.95 is deducted for parcels sent back from abroad.",
        "Swimwear, underwear, pierced jewellery and personalised products with custom embroidery cannot be "
        "returned for hygiene and production reasons unless they arrive faulty. Sale items marked final sale "
        "are not returnable either.",
    ]),
    2: ("refunds", "Refunds and exchanges", [
        "Once your return reaches our warehouse we inspect it within three working days. The refund is issued to "
        "the original payment method; card refunds usually appear on your statement five to ten banking days "
        "later, while wallet payments are credited within two days.",
        "If you paid with a gift card, the refund is loaded onto a new electronic gift card rather than cash. "
        "Orders paid in instalments are refunded to the instalment provider, which then adjusts your plan.",
        "Want a different size or colour? Choose exchange instead of refund when you register the return. We "
        "reserve the replacement immediately and dispatch it as soon as the original item is scanned at the "
        "depot, so exchanges are faster than ordering again.",
    ]),
    3: ("shipping", "Delivery options and times", [
        "Standard delivery takes three to five working days and costs 3.95, free for orders above 60. Next-day "
        "delivery is available for orders placed before 2 pm on weekdays and costs 7.95. We do not deliver on "
        "Sundays or public holidays.",
        "Every order gets a tracking number by e-mail when it leaves the warehouse. If the courier cannot deliver, "
        "the parcel waits at the nearest collection point for seven days before it is returned to us.",
        "Bulky goods such as tents, kayaks and roof boxes travel with a two-person freight service. The freight "
        "company phones you to agree a delivery slot, and the surcharge is shown at checkout.",
    ]),
    4: ("international", "International orders and customs", [
        "We ship to 28 European countries, Switzerland, Norway and the United Kingdom. For destinations outside "
        "the European Union, import duties and local taxes are charged by the carrier on arrival and are paid "
        "by the recipient.",
        "International parcels usually arrive within six to ten working days. Customs checks can add delays that "
        "we cannot influence. Lithium batteries, gas canisters and fuel bottles cannot be sent abroad because of "
        "air-freight restrictions.",
        "Prices on the site include the VAT of your delivery country when you select it at checkout. Business "
        "customers can enter a VAT identification number to buy without VAT under the reverse charge rules.",
    ]),
    5: ("warranty", "Warranty and repairs", [
        "All products carry a two-year warranty against manufacturing defects from the date of purchase. Our own "
        "brand of jackets and backpacks has a lifetime guarantee on seams and zips. Normal wear, accidents and "
        "misuse are not covered.",
        "To make a warranty claim, send photos of the defect and your order number through the claims form. Our "
        "repair workshop fixes zips, patches tears and re-seals waterproof seams, often within two weeks, and we "
        "cover the postage both ways for approved claims.",
        "If a repair is not possible, we replace the item with the same model or, when it is discontinued, offer "
        "store credit of its original price.",
    ]),
    6: ("sizing", "Finding your size", [
        "Our size charts list chest, waist, hip and inside-leg measurements in centimetres for every brand. "
        "Measure over light clothing with a soft tape and compare with the chart rather than with the size you "
        "wear in another brand.",
        "Hiking boots should be tried with the socks you plan to hike in; leave about a thumb's width between your "
        "longest toe and the end of the boot. Feet swell during long walks, so try boots on in the afternoon.",
        "Between two sizes? For shell jackets choose the larger size so that a fleece fits underneath; for base "
        "layers choose the smaller size for a close fit that wicks moisture.",
    ]),
    7: ("gift-cards", "Gift cards", [
        "Electronic gift cards are sent by e-mail within minutes and can be scheduled for a future date. Plastic "
        "gift cards are posted free of charge in a greeting envelope. Values range from 10 to 500.",
        "Gift cards are valid for three years from the date of purchase and can be used online and in every "
        "store. You can combine up to three gift cards in one order, and any remaining balance stays on the card.",
        "Gift cards cannot be exchanged for cash or used to buy other gift cards. A lost plastic card can be "
        "blocked and reissued if you still have the purchase receipt with the card number.",
    ]),
    8: ("loyalty", "Trail Club loyalty programme", [
        "Trail Club membership is free. Members earn one point for every unit spent and receive a 10 voucher for "
        "every 200 points collected. Points are added when the return period of an order has ended.",
        "Members also get early access to seasonal sales, free hemming of trousers and a birthday discount code "
        "valid for one month. Points expire if your account has no purchase for 24 months.",
        "You can join in any store with your phone number or online from your account page. Points cannot be "
        "transferred between members or converted into cash.",
    ]),
    9: ("click-and-collect", "Click and collect", [
        "Choose click and collect at checkout to pick up your order in a store of your choice at no cost. We send "
        "a text message when the order is ready, usually within two hours for items in stock at that store.",
        "Bring the collection code from the message and a photo ID. Someone else may collect for you if they show "
        "the code and the name on the order. Orders are held for ten days and then cancelled and refunded.",
        "You can try items on when you collect them and hand back anything that does not fit straight away, which "
        "is then refunded without a return label.",
    ]),
    10: ("account", "Your account and password", [
        "To reset a forgotten password, choose forgot password on the sign-in page and follow the link we e-mail "
        "you; the link works for 30 minutes. If the e-mail does not arrive, check the spam folder.",
        "You can change your e-mail address, delivery addresses and marketing preferences on the account page. "
        "Turn on two-step verification to receive a one-time code by text message at every sign-in.",
        "To delete your account and personal data, send a request from the privacy page; we confirm the deletion "
        "within 30 days, after which your order history and loyalty points are gone.",
    ]),
}

#: questions with the number of the document that answers them (the learner gets these)
DEV_QUESTIONS: list[tuple[str, int]] = [
    ("How many days do I have to send something back?", 1),
    ("When will my card refund show up on my statement?", 2),
    ("How much does next-day delivery cost?", 3),
    ("Who pays import duties for orders to Switzerland?", 4),
    ("Does the warranty cover damage from an accident?", 5),
    ("How should hiking boots fit?", 6),
    ("How long is a gift card valid?", 7),
    ("How do I earn Trail Club points?", 8),
    ("How long do you keep a click and collect order in the store?", 9),
    ("How long does the password reset link work?", 10),
    ("Can I return swimwear?", 1),
    ("Can bulky items like tents be delivered?", 3),
]

#: questions the learner never sees; the grader asks them of the registered retriever
HELD_OUT: list[tuple[str, int]] = [
    ("Is the return label free if I live in the country?", 1),
    ("Can I send back personalised embroidered items?", 1),
    ("I paid with a gift card, how is my refund made?", 2),
    ("Is an exchange quicker than a new order?", 2),
    ("Do you deliver on Sundays?", 3),
    ("What happens if the courier cannot deliver my parcel?", 3),
    ("Can I ship gas canisters to Norway?", 4),
    ("How long do international parcels take to arrive?", 4),
    ("Can your workshop repair a broken zip?", 5),
    ("What if my jacket model is discontinued and cannot be repaired?", 5),
    ("Which size of shell jacket should I pick when between two sizes?", 6),
    ("How do I measure myself for the size chart?", 6),
    ("Can I combine several gift cards in one order?", 7),
    ("Can a lost plastic gift card be replaced?", 7),
    ("When do my loyalty points expire?", 8),
    ("Do members get free hemming of trousers?", 8),
    ("Can a friend pick up my click and collect order?", 9),
    ("Can I try on items when I collect them in store?", 9),
    ("How do I turn on two-step verification?", 10),
    ("How can I delete my account and personal data?", 10),
]


def document_text(number: int) -> str:
    """The document as the help-centre export has it: navigation header, title, paragraphs, footer."""
    slug, title, paragraphs = DOCS[number]
    return "\n".join([HEADER, "", f"# {title}", "", *[p + "\n" for p in paragraphs], *FOOTER]) + "\n"


def file_name(number: int) -> str:
    return f"{number:02d}-{DOCS[number][0]}.md"
