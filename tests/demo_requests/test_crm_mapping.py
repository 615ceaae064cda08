"""The CRM field mapping of each form kind (demo_requests.crm.mapping), delivered by a
real Celery worker to the local contract peers: an appointment request from a
practice site, a demo request from the agency's site, and a lead recorded before
form kinds (the original mapping)."""

from __future__ import annotations

import uuid

from wagtail.contrib.forms.models import FormSubmission

from demo_requests.models import CrmSettings, FormKind, Lead
from tests.conftest import transactional_db
from tests.demo_requests import test_delivery
from tests.demo_requests.conftest import rendered_form
from tests.demo_requests.crm_peers import HubSpotPeer, SalesforcePeer, WebhookPeer
from tests.demo_requests.test_delivery import TOKEN, Status, all_deliveries, beat_until, hubspot_crm
from tests.factories import PracticeFactory
from tests.practices.team_fixtures import add_member

pytestmark = transactional_db
# The delivery tests' own broker, workers and peers (module-scoped broker: this module
# gets its own redis-server).
broker, workers, peers = test_delivery.broker, test_delivery.workers, test_delivery.peers
CONSENT = "i_agree_that_you_may_contact_me_about_my_request"
SESSION = "00D!session"
SECRET = "whsec-kinds"

APPOINTMENT = {
    "your_name": "Pat Patient",
    "phone": "+1 512 555 0101",
    "email": "pat@patient.example.test",
    "new_or_existing_patient": "New patient",
    "preferred_provider": "ana-ruiz",
    "preferred_location": "riverside",
    "preferred_days_and_times": "Weekday mornings",
    "reason_for_visit": "Vaccination",
    "insurance": "Blue Cross PPO",
    "contact_preference": "Text message",
    CONSENT: "on",
}
DEMO = {
    "your_name": "Sam Owner",
    "work_email": "sam@hillside.example.test",
    "phone": "+1 512 555 0102",
    "practice_name": "Hillside Clinic",
    "specialty": "Dermatology",
    "number_of_providers": "12",
    "number_of_locations": "3",
    "your_role": "Practice owner",
    "message": "We want online appointment requests.",
    CONSENT: "on",
}


def crm_for(hubspot, salesforce, webhook) -> dict:
    return {
        **hubspot_crm(hubspot),
        "salesforce_enabled": True,
        "salesforce_instance_url": salesforce.url,
        "salesforce_session_id": SESSION,
        "webhook_enabled": True,
        "webhook_url": f"{webhook.url}/hooks/leads",
        "webhook_secret": SECRET,
    }


def send(client, host: str, data: dict) -> Lead:
    # The agency's demo request is its "Get a demo" page; a practice's is /contact/.
    path = "/get-a-demo/" if host.startswith("agency.") else "/contact/"
    hidden = rendered_form(client, path, host=host)
    response = client.post(path, {**hidden, **data}, HTTP_HOST=host)
    assert "Thank you" in response.content.decode(), response.content.decode()[-3000:]
    return Lead.objects.latest("pk")


def legacy_lead(practice) -> Lead:
    """A lead as recorded before form kinds: the original B2B fields, kind ""."""
    from demo_requests.models import DemoRequestPage

    page = DemoRequestPage.objects.descendant_of(practice.site.root_page).get()
    data = {
        "your_name": "Lee Legacy",
        "email": "lee@legacy.example.test",
        "phone": "+15125550103",
        "practice_or_organisation": "Legacy Pediatrics",
        "message": "Call me",
        CONSENT: True,
    }
    submission = FormSubmission.objects.create(page=page, form_data=data)
    lead = Lead.objects.create(
        practice=practice,
        form_page=page,
        form_kind="",
        submission=submission,
        idempotency_key=uuid.uuid4().hex,
    )
    from demo_requests.delivery import create_pending_deliveries

    create_pending_deliveries(lead)
    return lead


def test_each_kind_reaches_each_crm_with_its_mapping(
    client, broker, peers, workers, tmp_path, settings
) -> None:
    settings.LEAD_DELIVERY_STUCK_SECONDS = 2
    hubspot = peers(HubSpotPeer(token=TOKEN))
    salesforce = peers(SalesforcePeer(cert_dir=tmp_path, session_id=SESSION))
    webhook = peers(WebhookPeer(secret=SECRET))
    clinic = PracticeFactory(name="Riverside", slug="riverside", hostname="riverside.example.test")
    agency = PracticeFactory(
        name="Agency", slug="agency", hostname="agency.example.test", template="agency-library"
    )
    for practice in (clinic, agency):
        CrmSettings.objects.create(site=practice.site, **crm_for(hubspot, salesforce, webhook))
    add_member(clinic, "Ana Ruiz")
    workers(REQUESTS_CA_BUNDLE=str(salesforce.cert_file))

    appointment = send(client, "riverside.example.test", APPOINTMENT)
    demo = send(client, "agency.example.test", DEMO)
    legacy = legacy_lead(clinic)
    assert (appointment.form_kind, demo.form_kind) == (FormKind.APPOINTMENT, FormKind.DEMO)
    beat_until(all_deliveries(Status.DELIVERED), timeout=120)

    contacts = {props["email"]: props for props in hubspot.contacts.values()}
    notes = {note["contacts"][0]: note["body"] for note in hubspot.notes.values()}
    ids = dict(hubspot.contact_by_email)
    leads = {fields.get("Email"): fields for fields in salesforce.leads.values()}
    hooks = {doc["fields"].get("email") or doc["fields"].get("work_email"): doc
             for doc in webhook.received.values()}  # fmt: skip

    # Appointment: contact details only as properties, the rest in the note / Description.
    patient = "pat@patient.example.test"
    assert contacts[patient] == {
        "email": patient,
        "firstname": "Pat Patient",
        "phone": "+15125550101",
    }
    note = notes[ids[patient]]
    for line in (
        "New or existing patient: New patient",
        "Preferred provider: Ana Ruiz, MD",
        "Preferred location: Riverside",
        "Preferred days and times: Weekday mornings",
        "Reason for visit: Vaccination",
        "Insurance: Blue Cross PPO",
        "Contact preference: Text message",
    ):
        assert line in note
        assert line in leads[patient]["Description"]
    assert "I agree" not in note
    assert leads[patient]["LastName"] == "Pat Patient"
    assert leads[patient]["Company"] == "Riverside"  # the practice contacted
    assert leads[patient]["LeadSource"] == "Website appointment request"
    assert hooks[patient]["form_kind"] == "appointment"
    assert hooks[patient]["fields"]["reason_for_visit"] == "Vaccination"
    assert hooks[patient]["fields"]["preferred_provider"] == "Ana Ruiz, MD"

    # Demo: the prospect's practice is the company.
    owner = "sam@hillside.example.test"
    assert contacts[owner] == {
        "email": owner,
        "firstname": "Sam Owner",
        "phone": "+15125550102",
        "company": "Hillside Clinic",
        "jobtitle": "Practice owner",
    }
    assert "Number of providers: 12" in notes[ids[owner]]
    assert "Message: We want online appointment requests." in notes[ids[owner]]
    assert leads[owner]["Company"] == "Hillside Clinic"
    assert leads[owner]["Title"] == "Practice owner"
    assert leads[owner]["Industry"] == "Dermatology"
    assert leads[owner]["LeadSource"] == "Website demo request"
    assert "Number of locations: 3" in leads[owner]["Description"]
    assert hooks[owner]["form_kind"] == "demo"
    assert hooks[owner]["fields"]["practice_name"] == "Hillside Clinic"

    # Recorded before form kinds: the original mapping, as before.
    old = "lee@legacy.example.test"
    assert contacts[old]["company"] == "Legacy Pediatrics"
    assert leads[old]["Company"] == "Legacy Pediatrics"
    assert leads[old]["LeadSource"] == "Web"
    assert hooks[old]["form_kind"] == ""
    for lead in (appointment, demo, legacy):
        lead.refresh_from_db()
        assert lead.status == Lead.Status.DELIVERED
