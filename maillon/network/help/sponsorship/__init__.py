"""Company skills sponsorship (mécénat de compétences): the written agreement of an
accepted company engagement, its employees' costing under the yearly cap of
3 × PASS, the time sheets validated by the association, the yearly total valued at
cost, and the cerfa 16216 receipt that certifies it (through ``maillon.funding``)."""
