"""Demo services and offices of the three demo practices (written for patients;
generic health information, not advice). Keyed by the practice's slug; services by
the slug the starter template gave them."""

from __future__ import annotations


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


# slug -> (summary, body HTML, [(question, answer HTML)])
SERVICES: dict[str, dict[str, tuple[str, str, list[tuple[str, str]]]]] = {
    "riverside": {
        "annual-physicals": (
            "A yearly visit to check how you are doing, catch problems early and plan "
            "the screenings and vaccines that fit your age and history.",
            _p(
                "An annual physical is time set aside for you rather than for one "
                "complaint. We review your medical and family history, your medicines "
                "and any changes since last year, then check your blood pressure, "
                "weight, heart, lungs and anything you would like us to look at.",
                "Together we decide which screenings make sense for you this year: "
                "cholesterol and blood sugar tests, cancer screenings, bone density or "
                "a hearing and vision check. We also bring your vaccines up to date, "
                "including flu, tetanus and shingles when they are due.",
                "Most plans cover one preventive visit a year at no cost to you. If we "
                "also treat a new problem during the same visit, your plan may bill "
                "that part as a regular office visit; we will tell you before we do.",
            )
            + "<h2>How to prepare</h2><ul><li>Bring a list of your medicines and "
            "supplements.</li><li>Write down questions you want to ask.</li><li>If we "
            "ordered fasting blood work, eat nothing for 8 to 10 hours before "
            "(water is fine).</li></ul>",
            [
                (
                    "How long does an annual physical take?",
                    "<p>Plan for 30 to 45 minutes, a little longer on your first visit "
                    "with us.</p>",
                ),
                (
                    "Do I need to fast before my visit?",
                    "<p>Only if we asked for fasting blood work: we tell you when you "
                    "book. Otherwise eat as usual.</p>",
                ),
            ],
        ),
        "same-day-sick-visits": (
            "Fever, sore throat, a sprain or a rash that will not wait: call in the "
            "morning and be seen by one of our clinicians the same day.",
            _p(
                "We keep appointments free every day for patients who fall ill or get "
                "hurt. Call as soon as we open and we will find you a time that day, "
                "at either office, with your own clinician when they are in.",
                "Same-day visits suit ear and sinus infections, coughs and colds that "
                "linger, urinary infections, minor cuts and burns, sprains, rashes and "
                "flare-ups of an ongoing condition. We can test for flu, strep throat "
                "and COVID-19 in the office and send prescriptions straight to your "
                "pharmacy.",
                "Because we know your history, we can often treat you faster and "
                "with fewer tests than an urgent-care clinic, and your visit stays in "
                "one record.",
            )
            + "<h2>When to go to the emergency room instead</h2><p>Call 911 for chest "
            "pain, trouble breathing, signs of a stroke, a severe injury or heavy "
            "bleeding. Do not wait for an appointment.</p>",
            [
                (
                    "Can my child be seen the same day?",
                    "<p>Yes. Same-day visits are open to patients of every age.</p>",
                ),
                (
                    "What if all same-day times are taken?",
                    "<p>Our nurse will call you back, advise you and, when needed, fit "
                    "you in or direct you to the right place.</p>",
                ),
            ],
        ),
        "chronic-care-management": (
            "Ongoing support for diabetes, high blood pressure, asthma and other "
            "long-term conditions, with a care plan and a team that checks in.",
            _p(
                "Living with a long-term condition is easier with a plan and people "
                "who follow it with you. We agree on your goals, the medicines and "
                "tests you need and how often we meet, and we write it down so you "
                "always know the next step.",
                "Between visits our nurse care coordinator calls to see how you are "
                "doing, helps with refills and referrals, and answers questions about "
                "blood sugar readings, blood pressure logs or inhaler technique. "
                "Patients with two or more chronic conditions may qualify for Medicare's "
                "chronic care management program, which covers this monthly support.",
                "We coordinate with your specialists, pharmacy and hospital so that "
                "everyone works from the same, up-to-date list of medicines.",
            ),
            [
                (
                    "Which conditions do you manage?",
                    "<p>Diabetes, high blood pressure, high cholesterol, asthma, COPD, "
                    "thyroid conditions, arthritis, depression and anxiety, among "
                    "others.</p>",
                ),
                (
                    "Is there a cost for care management calls?",
                    "<p>Medicare and many plans cover them; a copay may apply. We check "
                    "your coverage with you before enrolling.</p>",
                ),
            ],
        ),
    },
    "summit": {
        "skin-cancer-screening": (
            "A head-to-toe skin check by a board-certified dermatologist, who looks "
            "for early signs of melanoma and other skin cancers.",
            _p(
                "Skin cancer is the most common cancer in the United States, and the "
                "most treatable when it is found early. During a screening your "
                "dermatologist examines your skin from scalp to toes, including places "
                "you cannot easily see, using a dermatoscope to look closely at moles "
                "and spots.",
                "We ask about sunburns, tanning, family history and any spot that has "
                "changed, itches or bleeds. If something needs a closer look we can "
                "take a small biopsy during the same visit, under local anaesthetic, "
                "and we call you with the result.",
                "Living at altitude means stronger ultraviolet light all year round: "
                "we recommend a yearly check for most adults, more often if you have "
                "had skin cancer or have many moles.",
            )
            + "<h2>Before your visit</h2><p>Remove nail polish and heavy make-up, and "
            "note any spot you are worried about.</p>",
            [
                ("How long does a skin check take?", "<p>About 15 to 20 minutes.</p>"),
                (
                    "Does a biopsy hurt?",
                    "<p>You feel a small pinch from the numbing injection; the biopsy "
                    "itself is painless and usually needs no stitches.</p>",
                ),
            ],
        ),
        "acne-treatment": (
            "Clearer skin for teens and adults, with treatment plans from "
            "prescription creams to oral medicines and in-office procedures.",
            _p(
                "Acne is not just a teenage problem, and it is not caused by poor "
                "hygiene. Hormones, oil, bacteria and inflammation all play a part, "
                "and the right treatment depends on which of them drives your "
                "breakouts.",
                "Your dermatologist looks at the type of acne you have, blackheads, "
                "inflamed spots or deep cysts, and how it affects you. Treatment often "
                "starts with a prescription cream or gel and a simple skin-care "
                "routine; oral antibiotics, hormonal therapy or isotretinoin are "
                "options for acne that does not respond.",
                "Most treatments take six to eight weeks to show results, so we plan "
                "a follow-up visit to adjust your plan. We also treat the marks acne "
                "leaves behind, with chemical peels and laser resurfacing.",
            ),
            [
                (
                    "Will my acne scars go away?",
                    "<p>Many marks fade with time and treatment; deeper scars can be "
                    "improved with peels, microneedling or laser treatment.</p>",
                ),
                (
                    "Can I keep wearing make-up?",
                    "<p>Yes: choose products labelled non-comedogenic and remove them "
                    "every night.</p>",
                ),
            ],
        ),
        "mohs-surgery": (
            "The most precise surgery for common skin cancers on the face and other "
            "sensitive areas: it removes the cancer and spares healthy skin.",
            _p(
                "Mohs surgery removes a skin cancer one thin layer at a time. Each "
                "layer is examined under the microscope while you wait, so the surgeon "
                "knows exactly where cancer cells remain and removes only that area. "
                "Cure rates for basal and squamous cell carcinoma are up to 99 percent.",
                "The surgery is done in our office under local anaesthetic, and you "
                "are awake and comfortable. Most patients need one to three layers; "
                "because each is checked before the next, plan to spend most of the "
                "morning with us.",
                "Once the cancer is gone, your surgeon repairs the wound the same day, "
                "usually with stitches, for the best possible appearance.",
            )
            + "<h2>On the day</h2><ul><li>Eat breakfast and take your usual "
            "medicines unless we tell you otherwise.</li><li>Bring a book and a "
            "snack.</li><li>Arrange for someone to drive you home if the site is near "
            "your eye.</li></ul>",
            [
                (
                    "Will I have a scar?",
                    "<p>Every surgery leaves a mark, but Mohs removes as little healthy "
                    "skin as possible and most scars fade well within a year.</p>",
                ),
                (
                    "Do I need a referral?",
                    "<p>Some plans ask for one; our team checks with your insurer when "
                    "you book.</p>",
                ),
            ],
        ),
    },
    "lakeside": {
        "cleanings-and-exams": (
            "A gentle cleaning and a check of your teeth and gums every six months, "
            "to keep small problems small.",
            _p(
                "Regular cleanings remove the plaque and tartar that brushing misses, "
                "the main cause of gum disease and cavities. Our hygienists work "
                "gently, explain what they see and show you any spot that needs "
                "extra care at home.",
                "Your dentist then checks every tooth, your gums, bite and the soft "
                "tissues of your mouth, including a screening for oral cancer. We take "
                "low-dose digital X-rays when they are due, usually once a year.",
                "If we find something that needs treatment, we explain your options "
                "and their costs before anything is done. Most dental plans cover two "
                "cleanings and exams a year in full.",
            ),
            [
                (
                    "How often should I have a cleaning?",
                    "<p>Every six months for most people; every three to four months if "
                    "you have gum disease.</p>",
                ),
                (
                    "I am nervous about the dentist. Can you help?",
                    "<p>Tell us when you book: we take breaks whenever you need and "
                    "offer numbing gel and noise-cancelling headphones.</p>",
                ),
            ],
        ),
        "invisalign": (
            "Straighter teeth with clear, removable aligners: no brackets or wires, "
            "and a 3D preview of your new smile before you start.",
            _p(
                "Invisalign straightens teeth with a series of clear aligners made for "
                "your mouth. You wear each set for about a week, 20 to 22 hours a day, "
                "and your teeth move a little with every set.",
                "It starts with a consultation and a 3D scan, with no messy "
                "impressions, from which we show you how your teeth will move and how "
                "long treatment should take, often 6 to 18 months. You see us every "
                "six to eight weeks to check progress.",
                "Because the aligners come out, you eat what you like and brush and "
                "floss as usual. After treatment a retainer keeps your teeth in their "
                "new place.",
            ),
            [
                (
                    "Does Invisalign hurt?",
                    "<p>You may feel pressure for a day or two with each new set; that "
                    "means the aligners are working.</p>",
                ),
                (
                    "Does insurance cover Invisalign?",
                    "<p>Many plans with orthodontic benefits cover part of it, and we "
                    "offer monthly payment plans.</p>",
                ),
            ],
        ),
        "implants": (
            "A permanent replacement for a missing tooth that looks, feels and works "
            "like your own.",
            _p(
                "A dental implant replaces the root of a missing tooth with a small "
                "titanium post placed in the jawbone. Once it has fused with the bone, "
                "we attach a custom crown matched to the colour and shape of your "
                "other teeth.",
                "Implants keep the jawbone healthy, do not rely on neighbouring teeth "
                "as a bridge does, and with good care can last a lifetime. They can "
                "also hold a bridge or stabilise a denture.",
                "Treatment starts with an exam and a 3D scan to check the bone. "
                "Placing the implant is done under local anaesthetic; healing takes "
                "three to six months, after which the crown is fitted.",
            ),
            [
                (
                    "Am I a candidate for an implant?",
                    "<p>Most adults in good general health with enough jawbone are; "
                    "smoking and uncontrolled diabetes can slow healing.</p>",
                ),
                (
                    "How long is the recovery after placement?",
                    "<p>Most patients return to work the next day; mild soreness eases "
                    "within a few days.</p>",
                ),
            ],
        ),
    },
}

# slug -> offices: (name, slug, street, latitude, longitude, parking, accessibility,
# names of the members who practise there); the first is the practice's main address.
LOCATIONS: dict[str, list[dict]] = {
    "riverside": [
        {
            "title": "River Road office", "slug": "river-road",
            "intro": "Our main office by the river, with same-day visits every weekday.",
            "street": None, "lat": "30.248000", "lng": "-97.751000",
            "parking": "Free parking in our own lot; two spaces reserved for patients "
                       "with disabilities by the entrance.",
            "accessibility": "Step-free entrance, automatic doors, accessible restroom, "
                             "wheelchair-accessible exam rooms.",
            "members": ["Ana Ruiz", "James Okafor", "Sam Tran", "Rosa Alvarez"],
        },
        {
            "title": "Northwest Hills office", "slug": "northwest-hills",
            "intro": "A smaller office in Northwest Hills, for check-ups and women's health.",
            "street": "4100 Far West Blvd", "postal_code": "78731",
            "lat": "30.355000", "lng": "-97.760000",
            "parking": "Free parking in the shopping-centre lot in front of the building.",
            "accessibility": "Ground floor, step-free; lift to the lab on the first floor.",
            "members": ["Ana Ruiz", "Lena Novak"],
        },
    ],
    "summit": [
        {
            "title": "Downtown Denver office", "slug": "downtown-denver",
            "intro": "Medical, surgical and cosmetic dermatology on the 4th floor.",
            "street": None, "lat": "39.750000", "lng": "-104.999000",
            "parking": "Validated parking in the Peak Street garage (entrance on 19th St).",
            "accessibility": "Lifts from the garage and the lobby; accessible restrooms.",
            "members": None,  # everyone
        },
    ],
    "lakeside": [
        {
            "title": "Shore Drive office", "slug": "shore-drive",
            "intro": "A calm, modern office with lake views, near Millennium Park.",
            "street": None, "lat": "41.886000", "lng": "-87.618000",
            "parking": "Discounted parking at the Shore Drive garage; bike racks outside.",
            "accessibility": "Step-free entrance and lift; one treatment room takes a "
                             "wheelchair without transfer.",
            "members": None,
        },
    ],
}  # fmt: skip
