#! /usr/bin/sh
# Set up an Azure Machine Learning workspace for the DP-100 exercises (in the style of Microsoft's lab scripts):
# a resource group and a workspace with random names, a compute instance, a cluster, data assets from YAML.

# A random suffix keeps the names unique
guid=$(cat /proc/sys/kernel/random/uuid)
suffix=${guid//[-]/}
suffix=${suffix:0:12}

RESOURCE_GROUP="rg-dp100-l${suffix}"
RESOURCE_PROVIDER="Microsoft.MachineLearningServices"
REGIONS=("eastus" "westus" "centralus" "northeurope" "westeurope")
RANDOM_REGION=${REGIONS[$RANDOM % ${#REGIONS[@]}]}
WORKSPACE_NAME="mlw-dp100-l${suffix}"
COMPUTE_INSTANCE="ci${suffix}"
COMPUTE_CLUSTER="aml-cluster"

echo "Removing the old CLI extension and adding the Azure ML CLI v2:"
az extension remove -n azure-cli-ml
az extension add -n ml -y

echo "Registering the Machine Learning resource provider:"
az provider register --namespace $RESOURCE_PROVIDER

echo "Creating a resource group and making it the default:"
az group create --name $RESOURCE_GROUP --location $RANDOM_REGION
az configure --defaults group=$RESOURCE_GROUP

echo "Creating the workspace:"
az ml workspace create --name $WORKSPACE_NAME
az configure --defaults workspace=$WORKSPACE_NAME

echo "Creating a compute instance named $COMPUTE_INSTANCE:"
az ml compute create --name ${COMPUTE_INSTANCE} --size STANDARD_DS11_V2 --type ComputeInstance

echo "Creating a compute cluster named $COMPUTE_CLUSTER:"
az ml compute create --name ${COMPUTE_CLUSTER} --size STANDARD_DS11_V2 --max-instances 2 --type AmlCompute

echo "Creating the data assets:"
az ml data create --file data-local.yml
az ml data create --type uri_file --name "diabetes-file" --path ./data/diabetes.csv
