-- One database per part of the suite (each service owns its data); run once by the postgres image.
CREATE DATABASE gateway OWNER iwmo;
CREATE DATABASE toewijzing OWNER iwmo;
CREATE DATABASE plan OWNER iwmo;
CREATE DATABASE declaratie OWNER iwmo;
CREATE DATABASE aanbieder OWNER iwmo;
