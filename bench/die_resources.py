"""What a team would write with django-import-export to import the enrolment spreadsheet: the comparison
for the import benchmark (``bench/run.py``, benchmark 5). A bench-only dependency (bench/requirements.txt).

The file's rows become a ``Participant`` (found by NIK, so a worker already registered is updated) and an
``Acquisition`` each, so the same file is imported by two resources, one per model, as the library
is meant to be used: columns mapped to fields by their Indonesian headers, small widgets for the
"L"/"P", "Petani" and "Ya"/"Tidak" cells, the agent by code, the price from ``acquisition_pricing``,
and ``clean_model_instances`` so every row meets the model's validation, as the app's import does.
"""

from import_export import fields, resources, widgets

from agents.models import Agent
from enrollment.importing.columns import read_gender, read_occupation, read_yes_no
from enrollment.models import Acquisition, Participant
from enrollment.services.enrolment import acquisition_pricing


class _Reader(widgets.Widget):
    """A widget that reads a cell with one of the app's cell readers."""

    def __init__(self, reader):
        super().__init__()
        self.reader = reader

    def clean(self, value, row=None, **kwargs):
        return self.reader(value)


class _Text(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return "" if value is None else str(value)


class ParticipantResource(resources.ModelResource):
    nik = fields.Field(attribute="nik", column_name="NIK", widget=_Text())
    full_name = fields.Field(attribute="full_name", column_name="Nama lengkap", widget=_Text())
    birth_date = fields.Field(attribute="birth_date", column_name="Tanggal lahir", widget=widgets.DateWidget())
    gender = fields.Field(attribute="gender", column_name="Jenis kelamin", widget=_Reader(read_gender))
    phone = fields.Field(attribute="phone", column_name="No HP", widget=_Text())
    address = fields.Field(attribute="address", column_name="Alamat", widget=_Text())
    kecamatan = fields.Field(attribute="kecamatan", column_name="Kecamatan", widget=_Text())
    desa = fields.Field(attribute="desa", column_name="Desa", widget=_Text())
    occupation = fields.Field(attribute="occupation", column_name="Pekerjaan", widget=_Reader(read_occupation))

    def __init__(self, *, branch):
        super().__init__()
        self.branch = branch

    def init_instance(self, row=None):
        return Participant(branch=self.branch)

    class Meta:
        model = Participant
        import_id_fields = ["nik"]
        fields = ("nik", "full_name", "birth_date", "gender", "phone", "address", "kecamatan", "desa", "occupation")
        clean_model_instances = True


class AcquisitionResource(resources.ModelResource):
    participant = fields.Field(
        attribute="participant", column_name="NIK", widget=widgets.ForeignKeyWidget(Participant, "nik")
    )
    agent = fields.Field(attribute="agent", column_name="Kode agen", widget=widgets.ForeignKeyWidget(Agent, "code"))
    acquired_on = fields.Field(attribute="acquired_on", column_name="Tanggal akuisisi", widget=widgets.DateWidget())
    declared_income = fields.Field(
        attribute="declared_income", column_name="Penghasilan", widget=widgets.DecimalWidget()
    )
    with_jht = fields.Field(attribute="with_jht", column_name="JHT", widget=_Reader(read_yes_no))

    def init_instance(self, row=None):
        return Acquisition(status=Acquisition.Status.ACTIVE)

    def import_instance(self, instance, row, **kwargs):
        """The fields from the row, then what the enrol form adds: caretaker, branch, office and price."""
        super().import_instance(instance, row, **kwargs)
        instance.caretaker = instance.agent
        instance.branch_id = instance.agent.branch_id
        instance.office_id = instance.agent.office_id
        instance.rate, instance.monthly_contribution = acquisition_pricing(
            acquired_on=instance.acquired_on, declared_income=instance.declared_income, with_jht=instance.with_jht
        )

    class Meta:
        model = Acquisition
        fields = ("id", "participant", "agent", "acquired_on", "declared_income", "with_jht")
        clean_model_instances = True
